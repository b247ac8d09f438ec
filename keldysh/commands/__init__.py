"""Sub-commands of the ``keldysh`` CLI, one module each (see :mod:`keldysh.cli`)."""
