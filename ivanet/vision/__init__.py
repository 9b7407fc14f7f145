"""Computer-vision helpers of Day 3: edge filters, conv shape arithmetic, receptive fields."""
from ivanet.vision.filters import (HORIZONTAL_EDGE, KERNELS, SCHARR_HORIZONTAL, SCHARR_VERTICAL,
                                   SOBEL_HORIZONTAL, SOBEL_VERTICAL, VERTICAL_EDGE,
                                   apply_filter, edge_magnitude, kernel)
from ivanet.vision.receptive_field import (format_fields, receptive_field,
                                           receptive_fields)
from ivanet.vision.shapes import conv_output_size, conv_parameters, same_padding

__all__ = ["VERTICAL_EDGE", "HORIZONTAL_EDGE", "SOBEL_VERTICAL", "SOBEL_HORIZONTAL",
           "SCHARR_VERTICAL", "SCHARR_HORIZONTAL", "KERNELS", "kernel", "apply_filter",
           "edge_magnitude", "conv_output_size", "same_padding", "conv_parameters",
           "receptive_fields", "receptive_field", "format_fields"]
