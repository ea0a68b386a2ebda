"""Deploy Odyssey with the real scripts/deploy.py onto a Ganache already listening (run as a subprocess).

    python tests/backend/deploy_contracts.py <brownie-network> <deployments-dir>

scripts/common.is_local() only knows the networks `odyssey-local` and `odyssey-test`, so on the backend's
own network (`odyssey-backend`, port 18603) it would look for keystores; this wrapper treats that network
as local (Ganache's deterministic accounts), then calls the deploy script's `fresh()` unchanged.
"""
import os
import sys

network_name, deployments_dir = sys.argv[1], sys.argv[2]
os.environ["ODYSSEY_DEPLOYMENTS_DIR"] = deployments_dir

import brownie  # noqa: E402  (only in this subprocess; backend/ never imports Brownie)
from brownie import network, project  # noqa: E402

active = project.load(os.getcwd(), name="OdysseyProject")
active.load_config()
network.connect(network_name)
active._add_to_main_namespace()
import scripts.common as common  # noqa: E402

common.is_local = lambda: True
import scripts.deploy as deploy  # noqa: E402

deploy.fresh()
