"""Helpers shared by the contract tests: decoded custom errors as Brownie reports them, Merkle allowlists."""
import os

from brownie import chain, web3

from backend.chain.protocol import role_id

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


def _fmt(value):
    if isinstance(value, str) and value.startswith("0x") and len(value) == 42:
        return value.lower()
    if hasattr(value, "address"):
        return str(value.address).lower()
    if isinstance(value, (bytes, bytearray)):
        return str(bytes(value))
    return str(value)


def err(name, *args):
    """A custom error as `brownie.reverts` sees it once decoded: `Name: arg1, arg2`."""
    return f"{name}: {', '.join(_fmt(a) for a in args)}"


def unauthorized(account, role_name):
    return err("AccessControlUnauthorizedAccount", account, role_id(role_name))


def now():
    """The timestamp the next block will carry (roughly: Ganache follows the wall clock plus sleeps)."""
    return chain.time()


def block_time():
    return web3.eth.get_block("latest")["timestamp"]


def run_state_machine(rules_object, *args, settings=None):
    """Brownie's `state_machine`, in plain Python.

    Brownie 1.22.2 ships `brownie.test.stateful` compiled with mypyc, and its `_BrownieStateMachine` refuses the
    subclass it generates itself ("_BrownieStateMachine object expected; got BrownieStateMachine"), so the
    `state_machine` fixture cannot run any machine. Same contract as Brownie's: class attributes that are
    strategies feed the `rule_*` arguments of the same name, `invariant_*` run after every step, `__init__` is
    called once on the class, `setup` before each run, and the chain is reverted to the snapshot before each run.
    """
    from inspect import getmembers
    from types import FunctionType

    from hypothesis import Phase
    from hypothesis import settings as hp_settings
    from hypothesis import stateful as sf
    from hypothesis.strategies import SearchStrategy

    strategies = {k: v for k, v in getmembers(rules_object) if isinstance(v, SearchStrategy)}

    class Machine(rules_object, sf.RuleBasedStateMachine):
        def __init__(self):
            chain.revert()
            sf.RuleBasedStateMachine.__init__(self)
            if hasattr(self, "setup"):
                self.setup()

    for attr, fn in list(vars(rules_object).items()):
        if type(fn) is not FunctionType:
            continue
        if attr.startswith("invariant"):
            setattr(Machine, attr, sf.invariant()(fn))
        elif attr.startswith("rule"):
            names = fn.__code__.co_varnames[1 : fn.__code__.co_argcount]
            setattr(Machine, attr, sf.rule(**{name: strategies[name] for name in names})(fn))

    rules_object.__init__(Machine, *args)
    chain.snapshot()
    # No shrinking: each shrink step replays transactions on the chain, and a failing run would shrink for tens of
    # minutes; Hypothesis reports the failing steps as generated.
    no_shrink = (Phase.explicit, Phase.reuse, Phase.generate)
    chosen = hp_settings(phases=no_shrink, **(settings or {}))  # unset: brownie-config.yaml's hypothesis settings
    scale = int(os.environ.get("ODYSSEY_HYPOTHESIS_SCALE", "1"))  # make test-deep runs more and longer runs
    chosen = hp_settings(chosen, max_examples=chosen.max_examples * scale,
                         stateful_step_count=chosen.stateful_step_count * (2 if scale > 1 else 1))
    sf.run_state_machine_as_test(Machine, settings=chosen)
