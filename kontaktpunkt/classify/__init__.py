"""Suggest category and urgency from the German text of a concern (issue 6).

A scikit-learn classifier trained on the corpus in `corpus/`, written for this project: the
subcategory (with the top three candidates and calibrated confidences), its field, and an urgency
1 to 4 that location context can raise. Plain functions, no Django: `training.train()` writes a
model file, `store.model_load()` reads it, `evaluate.evaluate()` measures it on a held-out split
beside a keyword baseline, and `cli.main()` wraps both for the management commands.
"""
