"""Published datasets foedus can fetch and import: ATOP and the COW state system."""
