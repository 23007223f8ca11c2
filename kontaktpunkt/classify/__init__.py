"""Suggest category and urgency from the German text of a concern (issue 6).

A scikit-learn classifier trained on the corpus in `corpus/`, written for this project: the
subcategory (with the top three candidates and calibrated confidences), its field, and an urgency
1 to 4 that location context can raise. The core is plain functions without Django:
`training.train()` writes a model file, `store.model_load()` reads it, `evaluate.evaluate()`
measures it on a held-out split beside a keyword baseline, `similarity` compares two texts (for
duplicate detection), and `cli.main()` is a command line without Django.

As a Django app (apps.py) it adds the commands `classify_train`, `classify_evaluate` and
`classify_export_corrections`, the process's model (`loader.classifier()`, under
settings.DATA_DIR), the place context of a point (`places`), and the staff's corrections
(`models.Correction`, `services.correction_record`).
"""
