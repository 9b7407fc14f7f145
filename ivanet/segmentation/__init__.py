"""Semantic segmentation: pixel cross-entropy and Dice losses; accuracy and IoU metrics."""
from ivanet.segmentation.losses import check_masks, dice_loss, pixel_cross_entropy
from ivanet.segmentation.metrics import (confusion_matrix, mean_iou, per_class_iou,
                                         pixel_accuracy)

__all__ = ["check_masks", "dice_loss", "pixel_cross_entropy", "confusion_matrix",
           "mean_iou", "per_class_iou", "pixel_accuracy"]
