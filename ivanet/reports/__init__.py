"""Run reports: figures and a self-contained HTML page, from a run folder's files only."""
from ivanet.reports.html import write_report
from ivanet.reports.runfolder import ReportError, RunFiles, read_run
from ivanet.reports.tuning import write_tune_plot

__all__ = ["write_report", "write_tune_plot", "read_run", "RunFiles", "ReportError"]
