"""The NLP quality gate (tests/eval_gate.py): scores on every gold set stay above pinned floors."""
from tests.eval_gate import test_eval_gate  # noqa: F401
