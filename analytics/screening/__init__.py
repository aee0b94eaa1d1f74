"""Screening of people found in raided scam compounds: indicator catalogue and decision engine."""
