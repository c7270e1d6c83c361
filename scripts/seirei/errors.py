"""How a command ends: its exit codes and the error that means bad usage, in one place (as pySHACL
keeps its errors in one module). A store's errors are store.StoreError and its subclasses; a table's
or a file's, inputs.InputError."""

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_UNKNOWN = 0, 1, 2, 3


class UsageError(Exception):
    """Bad usage or unreadable input: exit 2."""


class NotConforming(Exception):
    """The data does not conform to the shapes and the reasons were printed: exit 1."""
