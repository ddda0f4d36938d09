"""A fan-out wider than 100 decisions goes out 100 at a time: a wake-up timer brings the next
decision task at once, and the fan-in still gets every result."""

from collections import Counter

from floto import wire
from floto.specs.task import ActivityTask


def test_a_fan_out_of_150_tasks_is_scheduled_over_several_responses(scenario):
    wide = [ActivityTask(name="add", version="1", input={"n": n}) for n in range(150)]
    total = ActivityTask(name="add", version="1", requires=wide)
    scenario.decider(scenario.spec([*wide, total], terminate_decider_after_completion=True))
    scenario.workers(2)
    scenario.start()
    outcome = scenario.wait("run", timeout=60)
    assert outcome.status == "completed"
    assert outcome.result == {total.id_: sum(range(150))}
    per_response = Counter(e["decisionTaskCompletedEventId"]
                           for e in outcome.events("ActivityTaskScheduled"))  # fmt: skip
    assert sum(per_response.values()) == 151 and max(per_response.values()) <= 99
    timers = [t["timerId"] for t in outcome.events("TimerStarted")]
    assert timers and all(wire.is_wake_timer(t) for t in timers)
