# The peacesciencer side of benchmarks/panel_command.py: the same panel, built and written by R.
# Usage: Rscript benchmarks/peacesciencer_panel.R directed|nondirected OUT.csv
# Needs R with peacesciencer (install.packages("peacesciencer")); its ATOP data ship with the package.
args <- commandArgs(trailingOnly = TRUE)
stopifnot(length(args) == 2, args[1] %in% c("directed", "nondirected"))
suppressPackageStartupMessages(library(peacesciencer))
dyads <- create_dyadyears(directed = args[1] == "directed", subset_years = 1816:2016)
dyads <- add_atop_alliance(dyads)
utils::write.csv(dyads, args[2], row.names = FALSE)
cat(nrow(dyads), "\n")
