// VaultRepository: see ARCHITECTURE.md
