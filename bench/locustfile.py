"""Locust users for bench/load.py: on a signed-in session, read the dashboard, matrix and grid and
save ratings as people do, with a short pause between actions."""

import json
import os
import random

from locust import HttpUser, between, task

PLAN = json.loads(os.environ["LOAD_PLAN"])


class Rater(HttpUser):
    wait_time = between(0.5, 2)
    _next_session = 0

    def on_start(self):
        username, session_key = PLAN["sessions"][Rater._next_session % len(PLAN["sessions"])]
        Rater._next_session += 1
        self.accounts = PLAN["accounts"][username]
        self.cookies = {"sessionid": session_key}
        # The first page sets the CSRF cookie that rating saves send back.
        response = self.client.get("/", headers=self._headers(), name="dashboard")
        if response.status_code != 200 or "csrftoken" not in response.cookies:
            raise RuntimeError(f"{username}'s session was refused: {response.status_code}")
        self.cookies["csrftoken"] = response.cookies["csrftoken"]

    def _headers(self) -> dict:
        # Production cookies are Secure, which a plain-HTTP client does not send back; the
        # bench sends them by hand.
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}

    @task(2)
    def dashboard(self):
        self.client.get("/", headers=self._headers(), name="dashboard")

    @task(3)
    def matrix(self):
        self.client.get(f"/rounds/{PLAN['round']}/", headers=self._headers(), name="matrix")

    @task(3)
    def grid(self):
        self.client.get(f"/rounds/{PLAN['round']}/grid/", headers=self._headers(), name="grid")

    @task(6)
    def rating_save(self):
        headers = {
            **self._headers(),
            "X-CSRFToken": self.cookies["csrftoken"],
            "HX-Request": "true",
        }
        data = {
            "customer": random.choice(self.accounts),
            "factor": random.choice(PLAN["factors"]),
            "value": f"{random.randint(0, 10)}",
        }
        self.client.post(
            f"/rounds/{PLAN['round']}/ratings/", data, headers=headers, name="rating save"
        )
