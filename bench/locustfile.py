"""Locust users for bench/load.py, each on a session signed in beforehand, with a short pause
between actions as people take.

`Floor` requests a minimal signed-in page (the round list): what the stack itself costs.
`Manager` and `TeamMember` are the mix: managers read the dashboard, the matrix and their
grid and save ratings; the selection team also reads the disagreement and review pages and
follows the meeting. Run one class or the other: `locust -f bench/locustfile.py Floor`.
"""

import json
import os
import random

from locust import HttpUser, between, task

PLAN = json.loads(os.environ["LOAD_PLAN"])


class SignedIn(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)
    role = "manager"
    _next = {"manager": 0, "team": 0}

    def on_start(self):
        sessions = PLAN["sessions"][self.role]
        username, session_key = sessions[SignedIn._next[self.role] % len(sessions)]
        SignedIn._next[self.role] += 1
        self.accounts = PLAN["accounts"][username]
        self.cookies = {"sessionid": session_key}
        # The first page sets the CSRF cookie that rating saves send back.
        response = self.client.get("/rounds/", headers=self._headers(), name="round list")
        if response.status_code != 200 or "csrftoken" not in response.cookies:
            raise RuntimeError(f"{username}'s session was refused: {response.status_code}")
        self.cookies["csrftoken"] = response.cookies["csrftoken"]

    def _headers(self) -> dict:
        # Production cookies are Secure, which a plain-HTTP client does not send back; the
        # bench sends them by hand.
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}

    def _get(self, path: str, name: str) -> None:
        self.client.get(path, headers=self._headers(), name=name)

    def _round_page(self, page: str, name: str) -> None:
        self._get(f"/rounds/{PLAN['round']}/{page}", name)


class Floor(SignedIn):
    @task
    def round_list(self):
        self._get("/rounds/", "round list")


class Manager(SignedIn):
    weight = 3

    @task(2)
    def dashboard(self):
        self._get("/", "dashboard")

    @task(3)
    def matrix(self):
        self._round_page("", "matrix")

    @task(3)
    def grid(self):
        self._round_page("grid/", "grid")

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


class TeamMember(Manager):
    weight = 1
    role = "team"

    @task(2)
    def disagreement(self):
        self._round_page("disagreement/", "disagreement")

    @task(2)
    def review(self):
        self._round_page("review/", "review")

    @task(1)
    def meeting(self):
        self._round_page("meeting/", "meeting")
