"""What every result object shares: a compact display, labelled tables and files that remember.

:class:`ResultMixin` (for the dataclasses returned by ``solve_gap``, ``simulate``,
``linear_stability`` and the mean-field solvers) gives

* a ``__repr__`` of a few lines -- the key numbers, and for each array its shape and range,
  never its values -- and ``_repr_html_``, a small table for notebooks;
* :meth:`~ResultMixin.save` / :meth:`~ResultMixin.load`: ``.json`` (the scalars, parameters and
  diagnostics, readable; the arrays, if any, in a ``.npz`` beside it whose SHA-256 the JSON records)
  or ``.nc`` (netCDF through :mod:`xarray`, the metadata as a JSON attribute).  Each file records
  the package version, the model parameters and ISO-8601 UTC timestamps (``created``: when the
  result was computed; ``saved``); both are written atomically (:mod:`keldysh.fileio`);
* :attr:`~ResultMixin.provenance`: that version and those timestamps.

:class:`ArrayResultMixin` adds, for results that hold arrays along labelled dimensions (time,
momentum, eigenmode), :meth:`~ArrayResultMixin.to_xarray`, :meth:`~ArrayResultMixin.from_xarray`
and :meth:`~ArrayResultMixin.to_dataframe`.  :mod:`xarray` and :mod:`pandas` are imported only
when these are called.

Loading never evaluates anything from the file: the class is looked up in a fixed table of the
package's result types and the numbers are read as numbers (``allow_pickle=False``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import importlib
import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import numpy as np

from keldysh.errors import ParameterError

__all__ = ["ResultMixin", "ArrayResultMixin", "load_result", "utc_now", "encode", "decode"]

#: ``"format"`` entry of every file written by :meth:`ResultMixin.save`.
FORMAT = "keldysh-result"
FORMAT_VERSION = 1

#: The classes a file may name (class name -> module): nothing else is ever instantiated on load.
RESULT_CLASSES = {
    "GapResult": "keldysh.paper.solvers.gap",
    "DynamicsResult": "keldysh.paper.solvers.dynamics.result",
    "StabilityResult": "keldysh.paper.solvers.stability",
    "MeanFieldResult": "keldysh.meanfield.gap",
    "MeanFieldRun": "keldysh.meanfield.dynamics",
}
#: Dataclasses that may appear inside a result (its options), rebuilt by name on load.
NESTED_CLASSES = {"DynamicsOptions": "keldysh.paper.solvers.dynamics.options"}

R = TypeVar("R", bound="ResultMixin")


def utc_now() -> str:
    """The current time as ISO 8601 in UTC, to the second (``2015-02-23T14:05:00Z``)."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _lookup(name: str, table: dict[str, str], what: str) -> type:
    if name not in table:
        raise ParameterError("path", f"the file names an unknown {what} {name!r}; known: {', '.join(table)}")
    return getattr(importlib.import_module(table[name]), name)


# ----------------------------------------------------------------------------- JSON encoding
def encode(v: Any) -> Any:
    """A JSON-ready, reversible form of ``v`` (see :func:`decode`).

    Finite floats, ints, strings, booleans and ``None`` stay as they are; non-finite floats,
    complex numbers, NumPy arrays and the registered nested dataclasses become small tagged
    objects (``{"__complex__": [re, im]}``, ...), so that strict JSON (no ``NaN``) holds them and
    :func:`decode` restores them exactly.  Other objects are stored as their ``str``.
    """
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, np.generic):
        return encode(v.item())
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else {"__float__": repr(v)}
    if isinstance(v, complex):
        return {"__complex__": [encode(v.real), encode(v.imag)]}
    if isinstance(v, np.ndarray):
        return {"__ndarray__": [encode(x) for x in v.ravel().tolist()], "dtype": v.dtype.str, "shape": list(v.shape)}
    if isinstance(v, dict):
        return {str(k): encode(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [encode(x) for x in v]
    if dataclasses.is_dataclass(v) and type(v).__name__ in NESTED_CLASSES:
        return {
            "__dataclass__": type(v).__name__,
            "fields": {f.name: encode(getattr(v, f.name)) for f in dataclasses.fields(v)},
        }
    return str(v)


def decode(v: Any) -> Any:
    """Inverse of :func:`encode`."""
    if isinstance(v, list):
        return [decode(x) for x in v]
    if not isinstance(v, dict):
        return v
    if set(v) == {"__float__"}:
        return float(v["__float__"])
    if set(v) == {"__complex__"}:
        re, im = (decode(x) for x in v["__complex__"])
        return complex(re, im)
    if set(v) == {"__ndarray__", "dtype", "shape"}:
        return np.array([decode(x) for x in v["__ndarray__"]], dtype=np.dtype(v["dtype"])).reshape(v["shape"])
    if set(v) == {"__dataclass__", "fields"}:
        cls = _lookup(v["__dataclass__"], NESTED_CLASSES, "type")
        return cls(**{k: decode(x) for k, x in v["fields"].items()})
    return {k: decode(x) for k, x in v.items()}


# ----------------------------------------------------------------------------- display helpers
def _num(x: Any, digits: int = 6) -> str:
    """A short form of a number (``None`` and non-numbers as ``str``)."""
    if isinstance(x, (bool, np.bool_)) or x is None:
        return str(x)
    if isinstance(x, (complex, np.complexfloating)):
        return f"{complex(x).real:.{digits}g}{complex(x).imag:+.{digits}g}j"
    if isinstance(x, (int, float, np.number)):
        return f"{float(x):.{digits}g}" if isinstance(x, (float, np.floating)) else str(x)
    return str(x)


def array_summary(name: str, a: np.ndarray) -> str:
    """``name[shape] lo..hi`` (complex: ``|max|``), never the values."""
    a = np.asarray(a)
    shape = "x".join(str(n) for n in a.shape)
    if a.size == 0:
        return f"{name}[{shape}]"
    if np.iscomplexobj(a):
        return f"{name}[{shape}] complex, |max| {_num(float(np.nanmax(np.abs(a))), 3)}"
    if a.dtype.kind in "fiu":
        return f"{name}[{shape}] {_num(float(np.nanmin(a)), 4)}..{_num(float(np.nanmax(a)), 4)}"
    return f"{name}[{shape}] {a.dtype}"


# ----------------------------------------------------------------------------- the mixins
class ResultMixin:
    """Compact display, provenance and files for a result dataclass.

    A class using it defines ``_summary()`` (label/value pairs for the display) and, when it
    holds arrays, lists them in ``_DIMS`` (see :class:`ArrayResultMixin`).  Decorate it with
    ``@dataclass(repr=False)`` so that the generated ``__repr__`` (which prints every array)
    does not replace the compact one.
    """

    #: Fields shown in the generic summary (when ``_summary`` is not overridden).
    _SUMMARY_FIELDS: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        from keldysh._version import __version__

        self._created = utc_now()
        self._version = __version__

    # --------------------------------------------------------------- display
    def _summary(self) -> list[tuple[str, str]]:
        """``(label, value)`` pairs of the key numbers (override for a tailored display)."""
        return [(name, _num(getattr(self, name))) for name in self._SUMMARY_FIELDS]

    def _array_fields(self) -> dict[str, np.ndarray]:
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
            if isinstance(getattr(self, f.name), np.ndarray) and getattr(self, f.name).ndim >= 1
        }

    def __repr__(self) -> str:
        head = ", ".join(f"{k}={v}" for k, v in self._summary())
        lines = [f"{type(self).__name__}({head})"]
        arrays = [array_summary(k, a) for k, a in self._array_fields().items()]
        line = "  arrays:"
        for s in arrays:  # a few lines at most, ~100 characters each
            if len(line) + len(s) + 2 > 100 and line != "  arrays:":
                lines.append(line.rstrip(";"))
                line = "         "
            line += f" {s};"
        if arrays:
            lines.append(line.rstrip(";"))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td style='text-align:left'>{html.escape(v)}</td></tr>"
            for k, v in self._summary()
        )
        arrays = "<br>".join(html.escape(array_summary(k, a)) for k, a in self._array_fields().items())
        if arrays:
            rows += f"<tr><th style='text-align:left'>arrays</th><td style='text-align:left'>{arrays}</td></tr>"
        return f"<table><caption style='text-align:left'><b>{type(self).__name__}</b></caption>{rows}</table>"

    # --------------------------------------------------------------- provenance
    @property
    def provenance(self) -> dict[str, str | None]:
        """``version`` of keldysh that computed the result, ``created`` and (after :meth:`load`) ``saved``."""
        from keldysh._version import __version__

        return {
            "version": getattr(self, "_version", __version__),
            "created": getattr(self, "_created", None),
            "saved": getattr(self, "_saved", None),
        }

    def _metadata(self, saved: str | None) -> dict[str, Any]:
        arrays = self._array_fields()
        scalars = {
            f.name: encode(getattr(self, f.name))
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
            if f.name not in arrays
        }
        prov = self.provenance
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "class": type(self).__name__,
            "version": prov["version"],
            "created": prov["created"],
            "saved": saved,
            "parameters": encode(getattr(self, "params", {})),
            "fields": scalars,
        }

    @classmethod
    def _from_parts(cls: type[R], meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> R:
        if meta.get("format") != FORMAT:
            raise ParameterError("path", "not a keldysh result file (no 'format': 'keldysh-result' entry)")
        if meta.get("class") != cls.__name__:
            raise ParameterError("path", f"the file holds a {meta.get('class')}, not a {cls.__name__}")
        kwargs = {k: decode(v) for k, v in meta["fields"].items()}
        kwargs.update(arrays)
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        missing = sorted(names - set(kwargs))
        if missing:
            raise ParameterError("path", f"the file lacks the field(s) {', '.join(missing)} of {cls.__name__}")
        obj = cls(**{k: v for k, v in kwargs.items() if k in names})
        obj._version, obj._created, obj._saved = meta.get("version"), meta.get("created"), meta.get("saved")
        return obj

    # --------------------------------------------------------------- files
    def save(self, path: str | Path) -> Path:
        """Write the result to ``path`` (``.json``, with a ``.npz`` of the arrays beside it, or ``.nc``).

        The file records the package version, the parameters, the time the result was computed
        (``created``) and the time of writing (``saved``), ISO 8601 in UTC.  Writes are atomic.

        Parameters
        ----------
        path : str or Path
            Ends in ``.json`` or ``.nc`` (netCDF via xarray; only for results with arrays).

        Returns
        -------
        Path
            ``path``.
        """
        from keldysh.fileio import atomic_path, atomic_write_text

        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".json", ".nc"):
            raise ParameterError("path", f"must end in .json or .nc (got {path.name!r})")
        if not path.parent.is_dir():
            raise ParameterError("path", f"the folder {str(path.parent)!r} does not exist")
        meta = self._metadata(utc_now())
        arrays = self._array_fields()
        if suffix == ".nc":
            if not isinstance(self, ArrayResultMixin):
                raise ParameterError("path", f"a {type(self).__name__} holds no arrays: save it as .json")
            ds = self._netcdf_dataset(meta)
            with atomic_path(path) as tmp:
                ds.to_netcdf(tmp)
            return path
        if arrays:
            npz = path.with_suffix(".npz")
            with atomic_path(npz) as tmp:
                with open(tmp, "wb") as fh:
                    np.savez(fh, **arrays)
            meta["arrays"] = {"file": npz.name, "sha256": hashlib.sha256(npz.read_bytes()).hexdigest()}
        atomic_write_text(path, json.dumps(meta, indent=1, allow_nan=False) + "\n")
        return path

    @classmethod
    def load(cls: type[R], path: str | Path) -> R:
        """Read a result written by :meth:`save` (``.json`` + ``.npz``, or ``.nc``).

        Parameters
        ----------
        path : str or Path

        Returns
        -------
        ResultMixin
            The result (an instance of the calling class), with :attr:`provenance` as recorded in
            the file.
        """
        path = Path(path)
        if not path.is_file():
            raise ParameterError("path", f"no such file {str(path)!r}")
        if path.suffix.lower() == ".nc":
            if not issubclass(cls, ArrayResultMixin):
                raise ParameterError("path", f"a {cls.__name__} is stored as .json, not .nc")
            import xarray as xr

            with xr.open_dataset(path) as ds:
                return cls._from_netcdf_dataset(ds.load())
        try:
            meta = json.loads(path.read_text())
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ParameterError("path", f"{path.name} is not a readable JSON result file ({exc})") from None
        if not isinstance(meta, dict):
            raise ParameterError("path", f"{path.name} is not a keldysh result file")
        arrays: dict[str, np.ndarray] = {}
        if meta.get("arrays"):
            npz = path.with_name(meta["arrays"]["file"])
            if not npz.is_file():
                raise ParameterError("path", f"the arrays file {npz.name} beside {path.name} is missing")
            data = npz.read_bytes()
            if hashlib.sha256(data).hexdigest() != meta["arrays"]["sha256"]:
                raise ParameterError("path", f"{npz.name} does not match {path.name} (overwritten by another save?)")
            with np.load(npz, allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
        return cls._from_parts(meta, arrays)


class ArrayResultMixin(ResultMixin):
    """:class:`ResultMixin` plus labelled tables for results holding arrays.

    ``_DIMS`` maps each array field to its dimension name; ``_COORDS`` maps a dimension to the
    field that holds its coordinate values (those fields become the coordinates); ``_ATTRS``
    gives ``(units or description)`` per field for the ``long_name`` attribute.
    """

    _DIMS: ClassVar[dict[str, str]] = {}
    _COORDS: ClassVar[dict[str, str]] = {}
    _LONG_NAMES: ClassVar[dict[str, str]] = {}

    def to_xarray(self):
        """The arrays as an :class:`xarray.Dataset`: one variable per array field, on labelled dimensions.

        The coordinates are the time / momentum grids; scalar fields and the model parameters
        (``param_<name>``) are attributes, and ``keldysh_metadata`` holds the complete record
        that :meth:`from_xarray` reads back.

        Returns
        -------
        xarray.Dataset
        """
        import xarray as xr

        arrays = self._array_fields()
        coords = {dim: (dim, np.asarray(arrays[f]), self._attrs(f)) for dim, f in self._COORDS.items() if f in arrays}
        coord_fields = set(self._COORDS.values())
        data_vars = {
            name: (self._DIMS.get(name, f"{name}_index"), np.asarray(a), self._attrs(name))
            for name, a in arrays.items()
            if name not in coord_fields
        }
        meta = self._metadata(saved=None)
        attrs: dict[str, Any] = {"keldysh_class": type(self).__name__, "keldysh_version": meta["version"]}
        if meta["created"]:
            attrs["created"] = meta["created"]
        for k, v in meta["fields"].items():
            if isinstance(v, (int, float, str)) and not isinstance(v, bool):
                attrs[k] = v
            elif isinstance(v, bool):
                attrs[k] = int(v)
        for k, v in (getattr(self, "params", None) or {}).items():
            if isinstance(v, (int, float, str, np.number)) and not isinstance(v, bool):
                attrs[f"param_{k}"] = v.item() if isinstance(v, np.number) else v
        attrs["keldysh_metadata"] = json.dumps(meta, allow_nan=False)
        return xr.Dataset(data_vars=data_vars, coords=coords, attrs=attrs)

    def _attrs(self, name: str) -> dict[str, str]:
        return {"long_name": self._LONG_NAMES[name]} if name in self._LONG_NAMES else {}

    @classmethod
    def from_xarray(cls: type[R], ds: Any) -> R:
        """Rebuild the result from :meth:`to_xarray`'s dataset (its ``keldysh_metadata`` attribute)."""
        if "keldysh_metadata" not in ds.attrs:
            raise ParameterError("ds", "has no 'keldysh_metadata' attribute (not made by to_xarray)")
        meta = json.loads(ds.attrs["keldysh_metadata"])
        arrays = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            name = f.name
            dim = next((d for d, fld in cls._COORDS.items() if fld == name), None)  # type: ignore[attr-defined]
            key = dim if dim is not None else name
            if key in ds.variables and name not in meta["fields"]:
                arrays[name] = np.asarray(ds[key].values)
        return cls._from_parts(meta, arrays)

    def to_dataframe(self, dim: str | None = None):
        """The arrays along one dimension as a :class:`pandas.DataFrame` indexed by its coordinate.

        Parameters
        ----------
        dim : str, optional
            A dimension of :meth:`to_xarray` (e.g. ``"t"`` or ``"q"``); default the first one.

        Returns
        -------
        pandas.DataFrame
        """
        ds = self.to_xarray()
        dims = list(ds.sizes)
        if dim is None:
            dim = dims[0]
        if dim not in dims:
            raise ParameterError("dim", f"must be one of {', '.join(dims)} (got {dim!r})")
        names = [v for v in ds.data_vars if ds[v].dims == (dim,)]
        return ds[names].to_dataframe()

    # netCDF (classic format, through scipy): complex arrays are split into real and imaginary parts
    def _netcdf_dataset(self, meta: dict[str, Any]):
        ds = self.to_xarray()
        out = ds.copy()
        for name in list(ds.variables):
            if np.iscomplexobj(ds[name].values):
                var = ds[name]
                out = out.drop_vars(name)
                out[f"{name}__real"] = var.copy(data=var.values.real)
                out[f"{name}__imag"] = var.copy(data=var.values.imag)
        out.attrs = {k: v for k, v in ds.attrs.items() if isinstance(v, (str, int, float))}
        out.attrs["keldysh_metadata"] = json.dumps(meta, allow_nan=False)
        return out

    @classmethod
    def _from_netcdf_dataset(cls: type[R], ds: Any) -> R:
        for name in list(ds.variables):
            if name.endswith("__real") and f"{name[:-6]}__imag" in ds.variables:
                base = name[:-6]
                ds[base] = ds[name] + 1j * ds[f"{base}__imag"]
                ds = ds.drop_vars([name, f"{base}__imag"])
        return cls.from_xarray(ds)  # type: ignore[attr-defined]


def load_result(path: str | Path) -> ResultMixin:
    """Read any result written by :meth:`ResultMixin.save`, whatever its class.

    Parameters
    ----------
    path : str or Path
        A ``.json`` or ``.nc`` file.

    Returns
    -------
    GapResult, DynamicsResult, StabilityResult, MeanFieldResult or MeanFieldRun
    """
    path = Path(path)
    if not path.is_file():
        raise ParameterError("path", f"no such file {str(path)!r}")
    if path.suffix.lower() == ".nc":
        import xarray as xr

        with xr.open_dataset(path) as ds:
            raw = ds.attrs.get("keldysh_metadata")
    else:
        try:
            raw = path.read_text()
        except (OSError, UnicodeDecodeError) as exc:
            raise ParameterError("path", f"cannot read {path.name} ({exc})") from None
    try:
        name = json.loads(raw)["class"] if raw else None
    except (ValueError, KeyError, TypeError):
        name = None
    if name is None:
        raise ParameterError("path", f"{path.name} is not a keldysh result file")
    cls = _lookup(name, RESULT_CLASSES, "result class")
    return cls.load(path)
