# bash completion for pkgfresh(1)
# Repository ids come from `pkgfresh repos --format csv`; installed by
# `make install` into $(PREFIX)/share/bash-completion/completions/pkgfresh.

_pkgfresh_repos()
{
    pkgfresh -q repos --format csv 2>/dev/null | tail -n +2 | cut -d, -f1
}

_pkgfresh()
{
    local cur prev words cword
    _init_completion 2>/dev/null || {
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    }
    local commands="repos crawl analyze stats packages compare project outdated history search rules render site vercmp gc backup"
    local global="--db --catalog --config --rules --mirror --quiet --verbose --version --help"
    local cmd="" i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            --db|--catalog|--config|--rules|--mirror) ((i++)) ;;
            -*) ;;
            *) cmd=${words[i]}; break ;;
        esac
    done
    case $prev in
        --db|--catalog|--config|--rules|--from|--out|-o) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --metric) COMPREPLY=($(compgen -W "freshness outdated projects fresh median-lag outdated-pct" -- "$cur")); return ;;
        --theme) COMPREPLY=($(compgen -W "light dark" -- "$cur")); return ;;
        --variant) COMPREPLY=($(compgen -W "fresh freshness nonunique" -- "$cur")); return ;;
        --format|-f) COMPREPLY=($(compgen -W "table json csv" -- "$cur")); return ;;
        --from-format) COMPREPLY=($(compgen -W "$(pkgfresh repos --formats --format csv 2>/dev/null | tail -n +2 | cut -d, -f1)" -- "$cur")); return ;;
        --list|-l) COMPREPLY=($(compgen -W "newer-a newer-b same only-a only-b" -- "$cur")); return ;;
        --sort|-s) COMPREPLY=($(compgen -W "name lag" -- "$cur")); return ;;
        --status) COMPREPLY=($(compgen -W "newest outdated ignored unique devel legacy incorrect untrusted noscheme rolling" -- "$cur")); return ;;
        --flags-a|--flags-b) COMPREPLY=($(compgen -W "p_is_patch any_is_patch lower_bound upper_bound" -- "$cur")); return ;;
    esac
    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$global" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        fi
        return
    fi
    if [[ $cur == -* ]]; then
        local opts
        opts=$(pkgfresh "$cmd" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    case $cmd in
        crawl|packages|compare|outdated|history) COMPREPLY=($(compgen -W "$(_pkgfresh_repos)" -- "$cur")) ;;
        render) COMPREPLY=($(compgen -W "map trend rank badge" -- "$cur")) ;;
        rules) COMPREPLY=($(compgen -W "check apply" -- "$cur")) ;;
    esac
}
complete -F _pkgfresh pkgfresh
