"""`odyssey`, the member command line: a self-custody wallet, gasless claims, stamps, delegation and votes."""
