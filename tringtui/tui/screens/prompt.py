"""``PromptScreen``: the shared frame of the forms that ask what a write should do.

A prompt collects the parameters of a write (a destination, a pause reason, a
flow state) and dismisses with them, or with ``None`` on Cancel or Esc. It is
never the last step: the confirmation that follows names the target and
starts on Cancel. Subclasses yield their fields in ``compose_fields`` and turn
them into a request in ``collect``, raising ``ValueError`` with a message the
prompt shows under the fields.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

RequestT = TypeVar("RequestT")

# Terminals shorter than this get the compact form (no spacing between fields).
COMPACT_BELOW_HEIGHT = 30


class PromptScreen(ModalScreen["RequestT | None"], Generic[RequestT]):
    """A modal form: fields, an error line, Cancel and Continue."""

    DEFAULT_CSS = """
    PromptScreen {
        align: center middle;
    }
    PromptScreen > Vertical {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    PromptScreen .prompt-title {
        dock: top;
        text-style: bold;
        width: 100%;
        content-align: center middle;
    }
    PromptScreen .prompt-body {
        height: auto;
    }
    PromptScreen .prompt-footer {
        dock: bottom;
        height: auto;
    }
    PromptScreen .prompt-subject {
        color: $text-muted;
        margin: 0 0 1 0;
    }
    PromptScreen Label {
        margin: 1 0 0 0;
    }
    PromptScreen .prompt-error {
        color: $error;
        height: auto;
    }
    PromptScreen .prompt-buttons {
        height: auto;
        align: center middle;
        margin: 1 0 0 0;
    }
    PromptScreen .prompt-buttons Button {
        margin: 0 2;
    }
    /* A short terminal (80x24): no blank lines between fields, so every field stays in view. */
    PromptScreen.-compact Label, PromptScreen.-compact .prompt-subject, PromptScreen.-compact .prompt-buttons {
        margin: 0;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        # Priority, so focus moves before the keys typed right after Tab are handled:
        # without it a fast "120<Tab>0612" would land entirely in the first field.
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
    ]

    def __init__(self, title: str, subject: str) -> None:
        super().__init__()
        self.prompt_title = title
        self.subject = subject
        self._answered = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.prompt_title, classes="prompt-title")
            # The footer (error line and buttons) is docked: a short terminal scrolls the fields instead.
            with VerticalScroll(classes="prompt-body"):
                yield Static(self.subject, classes="prompt-subject", markup=False)
                yield from self.compose_fields()
            with Vertical(classes="prompt-footer"):
                yield Static("", classes="prompt-error", id="prompt-error", markup=False)
                with Horizontal(classes="prompt-buttons"):
                    yield Button("Cancel", id="cancel")
                    yield Button("Continue", id="continue", variant="primary")

    @on(events.ScreenResume)
    @on(events.Resize)
    def _fit_height(self) -> None:
        self.set_class(self.app.size.height < COMPACT_BELOW_HEIGHT, "-compact")

    def compose_fields(self) -> ComposeResult:
        """The form's own widgets."""
        yield from ()

    def collect(self) -> RequestT:
        """The request the fields describe; ``ValueError`` says what is wrong."""
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        self.query_one("#prompt-error", Static).update(message)

    @on(Button.Pressed, "#continue")
    @on(Input.Submitted)
    def submit(self) -> None:
        try:
            request = self.collect()
        except ValueError as error:
            self.show_error(str(error))
            return
        self._answer(request)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self._answer(None)

    def _answer(self, request: RequestT | None) -> None:
        if not self._answered:
            self._answered = True
            self.dismiss(request)

