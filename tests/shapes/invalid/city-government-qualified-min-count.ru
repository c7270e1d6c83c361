# A (otherwise valid) city that no city government governs.
# expect: Violation shapes:CityShape-government sh:QualifiedMinCountConstraintComponent id:city/nishi
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
INSERT DATA {
    <https://w3id.org/seirei/id/city/nishi> a schema:City ;
        <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q2> ;
        <https://w3id.org/seirei/ontology#standardAreaCode> <http://data.e-stat.go.jp/lod/sac/C01101> ;
        skos:prefLabel "Nishi City"@en, "西市"@ja ;
        seirei:dantaiCode "011011" ;
        schema:containedInPlace <https://w3id.org/seirei/id/prefecture/minami> ;
        seirei:designationDate "1980-04-01"^^xsd:date .
}
