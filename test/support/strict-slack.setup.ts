import { addToTally, takeUnexpected } from './strict-slack';

// Every test's Slack calls are checked by the fake Slack against Slack's limits: a call real Slack would refuse fails
// the test that made it, with the limit named. A test that means to be refused takes its refusals first
// (`FakeSlack.takeRefusals()`).
afterEach(() => {
  const unexpected = takeUnexpected();
  if (unexpected) throw new Error(unexpected);
});

afterAll(() => {
  const unexpected = takeUnexpected();
  addToTally(expect.getState().testPath ?? 'unknown');
  if (unexpected) throw new Error(unexpected);
});
