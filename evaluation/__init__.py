"""Evaluation of argmine: claim matching, metrics, reports and external benchmarks."""
