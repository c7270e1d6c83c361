# A city in two prefectures (the second one fully valid).
# expect: Violation shapes:CityShape-prefecture sh:MaxCountConstraintComponent id:city/kita
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
INSERT DATA {
    <https://w3id.org/seirei/id/city/kita> schema:containedInPlace <https://w3id.org/seirei/id/prefecture/minami2> .
    <https://w3id.org/seirei/id/prefecture/minami2> a schema:AdministrativeArea ;
        <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q3> ;
        <https://w3id.org/seirei/ontology#standardAreaCode> <http://data.e-stat.go.jp/lod/sac/C02000> ;
        skos:prefLabel "Second Minami Prefecture"@en, "第二南県"@ja ;
        seirei:jisPrefectureCode "02" ;
        seirei:iso31662Code "JP-02" ;
        seirei:dantaiCode "020001" .
}
