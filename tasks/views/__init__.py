"""The browser screens of the tasks app, one module per screen family."""
