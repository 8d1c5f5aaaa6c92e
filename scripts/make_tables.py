#!/usr/bin/env python3
"""Writes data/tables/*.csv, the classic small datasets, from scikit-learn's own data files.

Usage: python3 scripts/make_tables.py SKLEARN_DATA_DIR data/tables
SKLEARN_DATA_DIR is sklearn/datasets/data of Debian's python3-sklearn
(/usr/lib/python3/dist-packages/sklearn/datasets/data). The values are copied as they are;
each file gets a header row with scikit-learn's feature names and the class names in place
of the class indices. The data's licence: data/tables/LICENSE.
"""
import csv
import gzip
import os
import sys

src, dst = sys.argv[1], sys.argv[2]


def sklearn_csv(name):
    """scikit-learn's layout: a first row 'rows,features,class names...', then the rows with a class index."""
    with open(os.path.join(src, name)) as f:
        rows = list(csv.reader(f))
    classes = rows[0][2:]
    return classes, rows[1:]


def write(name, header, rows):
    with open(os.path.join(dst, name), "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


classes, rows = sklearn_csv("iris.csv")
write("iris.csv", ["sepal_length", "sepal_width", "petal_length", "petal_width", "species"],
      [r[:-1] + [classes[int(r[-1])]] for r in rows])

wine = ["alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols", "flavanoids",
        "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue", "od280/od315_of_diluted_wines",
        "proline"]
classes, rows = sklearn_csv("wine_data.csv")
write("wine.csv", wine + ["cultivar"], [r[:-1] + [classes[int(r[-1])]] for r in rows])

cancer = []
for kind in ["mean ", "", "worst "]:
    for feature in ["radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity",
                    "concave points", "symmetry", "fractal dimension"]:
        cancer.append(f"{kind}{feature}" + (" error" if kind == "" else ""))
classes, rows = sklearn_csv("breast_cancer.csv")
write("breast-cancer.csv", cancer + ["diagnosis"], [r[:-1] + [classes[int(r[-1])]] for r in rows])

with gzip.open(os.path.join(src, "digits.csv.gz"), "rt") as f:
    rows = [r for r in csv.reader(f) if r]
write("digits.csv", [f"pixel_{i // 8}_{i % 8}" for i in range(64)] + ["digit"],
      [[str(int(float(v))) for v in r] for r in rows])

with gzip.open(os.path.join(src, "diabetes_data_raw.csv.gz"), "rt") as f:
    features = [line.split() for line in f if line.strip()]
with gzip.open(os.path.join(src, "diabetes_target.csv.gz"), "rt") as f:
    targets = [line.split()[0] for line in f if line.strip()]
# The raw (unscaled) measurements; the target: disease progression one year after baseline.
write("diabetes.csv", ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6", "progression"],
      [r + [str(int(float(t)))] for r, t in zip(features, targets)])
