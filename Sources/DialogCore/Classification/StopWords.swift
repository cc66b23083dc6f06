/// Function words of German and English that carry no department, outcome or sentiment, in
/// folded form (umlauts as ae/oe/ue). Negations (not, nicht, kein, …) are deliberately absent:
/// "nicht zufrieden" must stay different from "zufrieden".
enum StopWords {
    static let all = WordSet(Set((english + " " + german).split(separator: " ").map(String.init)))

    /// Words that turn the meaning of the next word around; the tokenizer marks that word.
    static let negations = WordSet([
        "not", "no", "never", "dont", "doesnt", "didnt", "isnt", "wasnt", "cant", "cannot", "wont", "havent", "hasnt",
        "nicht", "kein", "keine", "keinen", "keinem", "keiner", "nie", "niemals", "nichts",
    ])

    private static let english = """
        a an the and or but if then else of at by for with about against between into through during before after \
        above below to from up down in out on off over under again further once here there when where why how all any \
        both each few more most other some such only own same so than too very s t just now i me my myself we our ours \
        ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself they them \
        their theirs themselves what which who whom this that these those am is are was were be been being have has had \
        having do does did doing would should could ought im youre hes shes its were theyre ive youve weve theyve id \
        youd hed shed theyd youll theyll lets thats whos whats heres theres whens wheres whys hows \
        also can will may might must shall get got please hi hello hey dear thanks thank regards hallo
        """

    private static let german = """
        der die das den dem des ein eine einen einem einer eines und oder aber wenn dann sonst von vom zu zum zur mit \
        bei beim fuer ueber unter nach vor aus auf an am im in ins um durch gegen ohne bis seit waehrend ich mich mir \
        mein meine meinen meinem meiner du dich dir dein deine wir uns unser unsere ihr euch euer eure sie ihnen ihre \
        ihren ihrem ihrer er ihn ihm sein seine seinen seinem seiner es man was wer wen wem welche welcher welches dies \
        diese dieser dieses diesen diesem jene ist sind war waren bin bist seid sein gewesen hat habe haben hatte hatten \
        hast habt wird werden wurde wurden werde wirst kann koennen konnte koennte soll sollte muss muessen moechte \
        moechten will wollen wuerde wuerden doch noch schon auch nur sehr so wie als da dass ob weil denn ja mal hier dort \
        bitte danke vielen dank gruss gruesse freundlichen liebe lieber sehr geehrte geehrter herr frau guten tag
        """
}
