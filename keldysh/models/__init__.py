"""The paper's models written as engine models (:class:`keldysh.MeanFieldModel`)."""

from .laser import laser_model, laser_values
from .pumping import pumping_model, pumping_values

__all__ = ["laser_model", "laser_values", "pumping_model", "pumping_values"]
