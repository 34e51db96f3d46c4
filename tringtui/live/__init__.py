"""The headless core: what every face of tringtui (the monitor, the recorder, metrics) builds on. Never imports Textual."""
