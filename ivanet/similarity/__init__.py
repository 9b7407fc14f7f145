"""Siamese networks and one-shot learning: contrastive and triplet losses, batch-hard/all mining,
pair/triplet/P×K samplers, N-way K-shot evaluation, pair verification."""
from ivanet.similarity.evaluation import (best_threshold, interval95, n_way_k_shot_accuracy,
                                          n_way_k_shot_scores, nearest_prototype, roc_auc,
                                          verification_accuracy)
from ivanet.similarity.losses import (batch_all_triplet_loss, batch_hard_triplet_loss,
                                      contrastive_loss, euclidean, pairwise_distances,
                                      triplet_loss)
from ivanet.similarity.samplers import episode, pk_batch, sample_pairs, sample_triplets

__all__ = ["contrastive_loss", "triplet_loss", "batch_hard_triplet_loss", "batch_all_triplet_loss",
           "euclidean",
           "pairwise_distances", "sample_pairs", "sample_triplets", "pk_batch", "episode",
           "n_way_k_shot_accuracy", "n_way_k_shot_scores", "interval95",
           "nearest_prototype", "best_threshold", "verification_accuracy", "roc_auc"]
