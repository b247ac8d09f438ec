"""The paper's models written as engine models (:class:`keldysh.MeanFieldModel`)."""

from keldysh.models.bcs import bcs_pair_model, bcs_values
from keldysh.models.laser import laser_model, laser_values
from keldysh.models.pumping import pumping_model, pumping_values
from keldysh.models.threeband import threeband_model, threeband_values

__all__ = [
    "bcs_pair_model",
    "bcs_values",
    "laser_model",
    "laser_values",
    "pumping_model",
    "pumping_values",
    "threeband_model",
    "threeband_values",
]
