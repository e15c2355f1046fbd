"""One module per screen of the kiosk; every screen derives from :class:`ui.screens.base.Screen`."""
