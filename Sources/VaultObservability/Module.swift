// VaultObservability: see ARCHITECTURE.md
