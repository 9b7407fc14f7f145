"""Run reports: figures and a self-contained HTML page, from a run folder's files only."""
from ivanet.reports.html import write_report
from ivanet.reports.runfolder import ReportError, RunFiles, read_run

__all__ = ["write_report", "read_run", "RunFiles", "ReportError"]
