"""The training side of the loaded-language models: the neighbourhood feature of a word form (how often the
training forms nearest to it by word vector were marked), on made-up forms and vectors."""

import math
from collections import Counter

import numpy as np

from bench import train_framing


def test_a_forms_neighbourhood_is_the_marked_rate_of_its_nearest_training_forms(monkeypatch):
    monkeypatch.setattr(train_framing, "KNN_K", 2)
    monkeypatch.setattr(train_framing, "KNN_PRIOR", 0.0)
    emb = {"vile": np.array([1.0, 0.1, 0.0]), "nasty": np.array([1.0, 0.0, 0.1]), "awful": np.array([0.9, 0.1, 0.1]),
           "table": np.array([0.0, 1.0, 0.0]), "chair": np.array([0.0, 1.0, 0.1]), "cruel": np.array([1.0, 0.05, 0.05])}
    # (form, capitalised, marked) -> tokens: the three evaluative forms marked 3 times in 4, furniture never
    counts = Counter({("vile", False, True): 3, ("vile", False, False): 1, ("nasty", False, True): 3,
                      ("nasty", False, False): 1, ("awful", False, True): 3, ("awful", False, False): 1,
                      ("table", False, False): 4, ("chair", False, False): 4, ("unvectored", False, True): 4})
    knn = train_framing.Neighbourhood(counts, emb)
    knn.fill(["cruel", "vile", "table", "unvectored", "absent"])
    overall = 13 / 24
    prior = math.log(overall / (1 - overall))
    # an unseen form near the evaluative forms: their rate 3/4; a seen one is not its own neighbour
    assert math.isclose(knn.get("cruel"), math.log(3) - prior, rel_tol=1e-6)
    assert math.isclose(knn.get("vile"), math.log(3) - prior, rel_tol=1e-6)
    assert knn.get("table") < -3  # its neighbours are never marked (clipped only by the 1e-6 weights' floor)
    assert knn.get("unvectored") == 0.0 and knn.get("absent") == 0.0  # no vector: no neighbourhood
