#!/bin/sh
# dockfix-repo: run `dockfix --write` on the repository in the current folder.
# The per-repository script for fleet engines (multi-gitter, git-xargs,
# Sourcegraph batch changes, GitHub Actions) and plain loops over clones.
# POSIX sh; needs dockfix, and git to commit. Installed with dockfix as
# `dockfix-repo`; in dockfix's repository it is scripts/dockfix-repo.sh.
#
# Usage: dockfix-repo [--commit] [--branch NAME] [--message TEXT]
#                     [--keep-going] [--] [DOCKFIX-ARGUMENT...]
#
#   (no --commit/--branch)  fix in place and leave the changes in the working
#                  tree for the engine to commit (multi-gitter's default mode,
#                  git-xargs, Sourcegraph batch changes); git is optional.
#   --commit       commit the changes on the current branch (multi-gitter
#                  --manual-commit, or a branch the caller made).
#   --branch NAME  create the branch NAME from HEAD and commit there (implies
#                  --commit); the branch is made only when something changed.
#   --message TEXT the commit's subject (default: "Fix Dockerfiles with dockfix").
#   --keep-going   when dockfix could not process some files (exit 2), still
#                  keep/commit the fixes it made to the others and exit 0.
#   DOCKFIX-ARGUMENTs go to `dockfix --write` as they are: options and paths
#                  (default, when none is given: `.`), e.g. `-- --unsafe-fixes .`
#
# $DOCKFIX is the command that runs dockfix (default: dockfix), split on
# spaces, e.g. DOCKFIX="uv run --project /opt/dockfix dockfix".
#
# Exit codes (engines open a pull request only after exit 0):
#   0   done: files fixed (and committed in commit mode), or nothing to change.
#       Findings without a safe fix may remain; dockfix prints them.
#   2   something could not be done; nothing was committed: a usage error, not
#       a git working tree (commit mode), uncommitted changes (commit mode), an
#       existing branch NAME, dockfix could not run or could not process a file
#       (unless --keep-going), or git failed.
#   130/143  interrupted by SIGINT/SIGTERM (dockfix writes files atomically).
set -u

me=dockfix-repo
commit=0
branch=
message="Fix Dockerfiles with dockfix"
keep_going=0

fail() {
    printf '%s: %s\n' "$me" "$*" >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case $1 in
        --commit) commit=1 ;;
        --branch)
            [ $# -ge 2 ] || fail "--branch needs a name"
            branch=$2
            commit=1
            shift
            ;;
        --branch=*) branch=${1#--branch=}; commit=1 ;;
        --message)
            [ $# -ge 2 ] || fail "--message needs a text"
            message=$2
            shift
            ;;
        --message=*) message=${1#--message=} ;;
        --keep-going) keep_going=1 ;;
        -h | --help)
            sed -n '2,/^set -u$/p' "$0" | sed '$d; s/^# \{0,1\}//'
            exit 0
            ;;
        --) shift; break ;;
        *) break ;;
    esac
    shift
done
[ $# -gt 0 ] || set -- .
if [ "$commit" = 1 ] && [ -z "$message" ]; then
    fail "--message must not be empty"
fi

in_git=0
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    in_git=1
fi

if [ "$commit" = 1 ]; then
    [ "$in_git" = 1 ] || fail "$(pwd): not a git working tree"
    # Commit only what dockfix changes: start from a clean working tree.
    dirty=$(git status --porcelain) || fail "git status failed"
    [ -z "$dirty" ] || fail "$(pwd): uncommitted changes; commit or stash them first"
    if [ -n "$branch" ]; then
        git check-ref-format --branch "$branch" >/dev/null 2>&1 || fail "$branch: not a valid branch name"
        if git rev-parse --verify --quiet "refs/heads/$branch" >/dev/null; then
            fail "$branch: the branch already exists"
        fi
    fi
fi

# A fresh clone gains nothing from dockfix's result cache: do not write one
# (set DOCKFIX_NO_CACHE to an empty value to keep it).
: "${DOCKFIX_NO_CACHE=1}"
export DOCKFIX_NO_CACHE

# shellcheck disable=SC2086 # $DOCKFIX is a command line, split on purpose
${DOCKFIX:-dockfix} --write "$@"
status=$?
case $status in
    0 | 1) ;;  # 1: findings remain that have no (selected) fix
    2)
        if [ "$keep_going" = 1 ]; then
            printf '%s: some files could not be processed (above); keeping the other fixes\n' "$me" >&2
        else
            fail "dockfix could not process everything (above); nothing committed"
        fi
        ;;
    126 | 127) fail "cannot run \`${DOCKFIX:-dockfix}\` (install dockfix or set DOCKFIX)" ;;
    *)
        printf '%s: dockfix stopped (exit %s)\n' "$me" "$status" >&2
        exit "$status"
        ;;
esac

if [ "$in_git" = 0 ]; then
    printf '%s: done\n' "$me" >&2
    exit 0
fi
changes=$(git status --porcelain) || fail "git status failed"
if [ -z "$changes" ]; then
    printf '%s: nothing to change\n' "$me" >&2
    exit 0
fi
if [ "$commit" = 0 ]; then
    printf '%s: files fixed; the changes are left for the caller to commit\n' "$me" >&2
    exit 0
fi

if [ -n "$branch" ]; then
    git checkout --quiet -b "$branch" || fail "cannot create the branch $branch"
fi
git add --all || fail "git add failed"
version=$(${DOCKFIX:-dockfix} --version 2>/dev/null) || version=dockfix
files=$(git diff --cached --name-only | sed 's/^/- /')
body=$(printf 'Applied by `dockfix --write %s` (%s).\n\nChanged files:\n%s\n' "$*" "$version" "$files")
git commit --quiet -m "$message" -m "$body" || fail "git commit failed"
where=$(git rev-parse --abbrev-ref HEAD 2>/dev/null) || where=HEAD
printf '%s: committed the fixes on %s\n' "$me" "$where" >&2
exit 0
