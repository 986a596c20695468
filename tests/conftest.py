"""Every fixture lives in tests/fixtures/, one module per subject, registered here.

Test-only settings (fast password hashing, eager Celery) are in kamapp/settings_test.py.
"""

pytest_plugins = [
    "tests.fixtures.users",
    "tests.fixtures.company",
    "tests.fixtures.rounds",
    "tests.fixtures.worker",
    "tests.fixtures.language",
    "tests.fixtures.request_memo",
]
