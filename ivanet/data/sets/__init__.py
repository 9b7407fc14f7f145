"""The real data sets, one module per source; ``ivanet.data.registry`` lists them."""
