"""Proof: what an editor looks at before print — the preview (page pictures with each block's story,
fit and faults over them), page snapshots against baselines, and the watch loop that renders and
reloads the preview on every save."""
