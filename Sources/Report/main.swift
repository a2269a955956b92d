import ArgumentParser
SLAReport.main()
