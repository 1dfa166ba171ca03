Attribute VB_Name = "SalesPlan"
Option Explicit

' The macros behind the Start tab's buttons.
' Each one hands a fixed command to xlwings' RunPython; the work happens in salesplan.excel.
' Nothing read from the workbook ever becomes part of a command, so cell contents cannot
' inject Python code.

Sub BuildPlan()
    RunPython "import salesplan.excel as x; x.build_plan()"
End Sub

Sub MakeInstruments()
    RunPython "import salesplan.excel as x; x.make_instruments()"
End Sub

Sub PrintInstruments()
    RunPython "import salesplan.excel as x; x.print_instruments()"
End Sub

Sub ImportSales()
    RunPython "import salesplan.excel as x; x.import_sales()"
End Sub

Sub RefreshDashboard()
    RunPython "import salesplan.excel as x; x.refresh_dashboard()"
End Sub

Sub CheckMethod()
    RunPython "import salesplan.excel as x; x.backtest()"
End Sub
