"""What a briefing is delivered as: the Word document and the workbook, made from what the
run already wrote (the stage after ``present``)."""
