"""The fleet monitor's face: several PBXs in tabs (``app``), the overview tab (``overview``), a PBX's tab (``pbx_view``)."""
