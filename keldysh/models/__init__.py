"""The paper's models written as engine models (:class:`keldysh.MeanFieldModel`)."""

from .laser import laser_model

__all__ = ["laser_model"]
