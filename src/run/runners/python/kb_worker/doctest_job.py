"""A `kind: 'doctest'` job: the pycon block checked with doctest, failures at note lines."""
import doctest
import traceback


class Collector(doctest.DocTestRunner):
    """Records doctest failures with note line numbers instead of printing them."""

    def __init__(self, first_line, optionflags):
        super().__init__(verbose=False, optionflags=optionflags)
        self.first_line = first_line
        self.problems = []  # not `failures`: DocTestRunner counts those in an int of that name

    def report_failure(self, out, test, example, got):
        self.problems.append({'line': self.first_line + example.lineno, 'source': example.source,
                              'expected': example.want, 'got': got})

    def report_unexpected_exception(self, out, test, example, exc_info):
        self.problems.append({'line': self.first_line + example.lineno, 'source': example.source,
                              'expected': example.want, 'got': ''.join(traceback.format_exception(*exc_info)),
                              'exception': traceback.format_exception_only(*exc_info[:2])[-1].rstrip('\n')})


def run_doctest(job, ns):
    """The failures of the job's doctest run in namespace `ns` (empty when all prompts match)."""
    flags = 0
    for name in job.get('doctestOptionFlags') or []:
        if name not in doctest.OPTIONFLAGS_BY_NAME:
            raise ValueError(f'unknown doctest option flag {name!r}')
        flags |= doctest.OPTIONFLAGS_BY_NAME[name]
    first = job['firstLine']
    test = doctest.DocTestParser().get_doctest(job['code'], ns, f"{job['filename']}:{first}", job['filename'], first - 1)
    # get_doctest copies the namespace; run in the namespace itself, so names a pycon block
    # defines stay in a session's globals for its later blocks.
    test.globs = ns
    runner = Collector(first, flags)
    runner.run(test, out=lambda _text: None, clear_globs=False)
    return runner.problems
