"""The models of the shared machinery."""
