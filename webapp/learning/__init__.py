"""Reading that teaches: the words of a text a learner counts, how hard an article is for one
learner, lists of known words, and the vocabulary as flashcards.

Flask-free and storage-free: functions take the library's reading aids, texts and a word →
status map, and give back plain data. Word statuses are in ``webapp.vocabulary``.
"""
