"""Data: datasets and splits, standardisation, the DataLoader, augmentation, real data sets.

Pure NumPy: nothing here imports the autograd engine. Real data sets are read from local
files only; ``fetch(name)`` (``ivanet data fetch NAME``) is the one step that downloads.
"""
from ivanet.data.augment import (BrightnessContrast, Compose, GaussianNoise, RandomAffine,
                                 RandomCrop, RandomErasing, RandomHorizontalFlip,
                                 RandomRotation, RandomVerticalFlip)
from ivanet.data.dataset import ArrayDataset, Dataset, DataError, DataSplits, check_finite
from ivanet.data.fetch import cache_dir
from ivanet.data.idx import read_idx, write_idx
from ivanet.data.loader import DataLoader, default_collate
from ivanet.data.npz import load_npz
from ivanet.data.preprocessing import Standardizer, one_hot
from ivanet.data.registry import DatasetInfo, fetch, list_datasets, load
from ivanet.data.splits import split_indices, split_sizes, train_dev_test_split

__all__ = [
    "ArrayDataset", "Dataset", "DataSplits", "DataError", "check_finite",
    "train_dev_test_split", "split_sizes", "split_indices",
    "Standardizer", "one_hot",
    "DataLoader", "default_collate",
    "Compose", "RandomHorizontalFlip", "RandomVerticalFlip", "RandomCrop", "RandomAffine",
    "RandomRotation", "RandomErasing", "GaussianNoise", "BrightnessContrast",
    "read_idx", "write_idx", "load_npz",
    "list_datasets", "fetch", "load", "DatasetInfo", "cache_dir",
]
