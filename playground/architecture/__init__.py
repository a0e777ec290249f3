"""From BERT to Qwen, number by number: one block walked and checked against its own modules, the logit lens,
and the masks of pretraining."""
