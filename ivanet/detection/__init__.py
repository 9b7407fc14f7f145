"""Object detection: box formats, IoU, non-max suppression, anchors, YOLO targets and loss, mAP.

Everything but ``loss`` is plain NumPy on boxes in pixels; ``loss.yolo_loss`` is an op.
"""
from ivanet.detection.anchors import kmeans_anchors, mean_best_iou, shape_iou
from ivanet.detection.boxes import (BoxError, box_area, centers_to_corners, check_boxes,
                                    clip_boxes, corners_to_centers)
from ivanet.detection.iou import iou, pairwise_iou
from ivanet.detection.loss import yolo_loss
from ivanet.detection.metrics import (average_precision, coco_map, mean_average_precision,
                                      precision_recall)
from ivanet.detection.nms import non_max_suppression
from ivanet.detection.yolo import (activate, decode, detections, encode_batch, encode_targets,
                                   target_boxes)

__all__ = ["BoxError", "box_area", "centers_to_corners", "check_boxes", "clip_boxes",
           "corners_to_centers", "iou", "pairwise_iou", "non_max_suppression",
           "kmeans_anchors", "mean_best_iou", "shape_iou", "encode_targets", "encode_batch",
           "activate", "decode", "detections", "target_boxes",
           "yolo_loss", "average_precision", "precision_recall",
           "mean_average_precision", "coco_map"]
