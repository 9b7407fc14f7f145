"""Siamese networks and one-shot learning: contrastive and triplet losses, batch-hard mining,
pair/triplet/P×K samplers, N-way K-shot evaluation."""
from ivanet.similarity.evaluation import n_way_k_shot_accuracy, nearest_prototype
from ivanet.similarity.losses import (batch_hard_triplet_loss, contrastive_loss, euclidean,
                                      pairwise_distances, triplet_loss)
from ivanet.similarity.samplers import episode, pk_batch, sample_pairs, sample_triplets

__all__ = ["contrastive_loss", "triplet_loss", "batch_hard_triplet_loss", "euclidean",
           "pairwise_distances", "sample_pairs", "sample_triplets", "pk_batch", "episode",
           "n_way_k_shot_accuracy", "nearest_prototype"]
