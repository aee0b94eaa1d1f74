"""Record linkage: the same person across lists, agencies and scripts (Splink; no Django)."""
