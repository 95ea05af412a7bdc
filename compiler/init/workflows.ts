// The CI workflows `mlspec init` writes (GitHub Actions): the review of every pull request, and
// the job that keeps out/ current on the main branch for Argo CD or Flux to sync.

const SETUP = `      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci`;

/** `check` on each pull request: SARIF annotations, one review comment, the verdict. */
export const REVIEW_WORKFLOW = `\
# The compliance review of every pull request: \`mlspec check\` against the target branch, with
# the findings as code-scanning annotations (SARIF) and one review comment updated on each push.
name: mlspec review

on:
  pull_request:

permissions:
  contents: read
  pull-requests: write # the review comment
  security-events: write # SARIF upload

jobs:
  review:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # --base reads the target branch with git
${SETUP}
      - name: Check (SARIF, review comment, verdict)
        id: check
        run: |
          set +e
          npx mlspec check --all-envs --base "origin/\${GITHUB_BASE_REF}" --format sarif --output mlspec.sarif
          npx mlspec check --all-envs --base "origin/\${GITHUB_BASE_REF}" --format markdown --output review.md
          npx mlspec check --all-envs --format github
          echo "status=$?" >> "$GITHUB_OUTPUT"
      - uses: github/codeql-action/upload-sarif@v3
        if: always()
        with:
          sarif_file: mlspec.sarif
          category: mlspec
      - name: Post or update the review comment
        if: always() && github.event.pull_request.head.repo.full_name == github.repository
        uses: actions/github-script@v7
        with:
          script: |
            const body = require('fs').readFileSync('review.md', 'utf8');
            const marker = '<!-- mlspec-review -->';
            const { owner, repo } = context.repo;
            const issue_number = context.issue.number;
            const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number });
            const mine = comments.find((c) => c.body?.startsWith(marker));
            if (mine) await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
            else await github.rest.issues.createComment({ owner, repo, issue_number, body });
      - name: Verdict
        if: steps.check.outputs.status != '0'
        run: |
          echo "mlspec check failed (exit \${{ steps.check.outputs.status }}): see the annotations and the comment"
          exit 1
      - name: out/ is current
        run: npx mlspec compile --check
`;

/** On the main branch: compile, and commit out/ when it changed (Argo CD or Flux syncs it). */
export const OUT_WORKFLOW = `\
# Keeps the rendered manifests in out/ current on the main branch: Argo CD or Flux syncs them.
# Pull requests already fail when out/ is stale (the review's last step); this catches merges.
name: mlspec out

on:
  push:
    branches: [main]
    paths: ["specs/**", "policies/**", "package-lock.json"]

permissions:
  contents: write # the commit of out/

concurrency:
  group: mlspec-out
  cancel-in-progress: false

jobs:
  compile:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
${SETUP}
      - run: npx mlspec compile
      - name: Commit out/ when it changed
        run: |
          git add out
          if git diff --cached --quiet; then echo "out/ is current"; exit 0; fi
          git -c user.name="mlspec" -c user.email="mlspec@users.noreply.github.com" \\
            commit -m "out: compile \${GITHUB_SHA::12}"
          git push
`;
