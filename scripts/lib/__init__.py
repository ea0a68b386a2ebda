"""What the scripts share (the runnable scripts are the modules of scripts/, each with `main()`):

- `common`: accounts per role, the deployment, one-line errors, member CSVs;
- `governance`: the DAO's contracts and proposals, found from the governor's own events;
- `proposal_files`: YAML proposal files turned into the governor's actions.
"""
