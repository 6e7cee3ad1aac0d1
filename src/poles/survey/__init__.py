"""The annual survey: each cluster's yearly report, pre-filled from the register, submitted, validated, frozen."""
