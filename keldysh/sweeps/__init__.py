"""Phase diagrams at scale: sweeps of the gap equation and the dynamics over any parameters.

:func:`sweep` returns a labelled :class:`xarray.Dataset`; with ``store=`` it writes a Zarr store
chunk by chunk (checkpoint and resume), on this process or a Dask cluster.  :func:`plot_sweep`
draws the phase diagram.  The command line is ``keldysh sweep`` (``docs/sweep.md``).

(The package is ``keldysh.sweeps`` so that ``keldysh.sweep`` stays the function: importing a
subpackage binds its name on the parent package.)
"""

from typing import Any

from keldysh.sweeps.axes import Axis, make_axis, parse_axis
from keldysh.sweeps.run import SweepRun, run_sweep, sweep
from keldysh.sweeps.store import open_sweep

__all__ = ["sweep", "run_sweep", "SweepRun", "Axis", "parse_axis", "make_axis", "open_sweep", "plot_sweep"]


def plot_sweep(*args: Any, **kwargs: Any) -> Any:
    """Phase diagram of a sweep (:func:`keldysh.sweeps.plot.plot_sweep`; matplotlib loads on first use)."""
    from keldysh.sweeps.plot import plot_sweep as _plot

    return _plot(*args, **kwargs)
